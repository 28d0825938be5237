package com.acme.iot.backup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the backup store from {@code iot.backup.store}.
 */
@Configuration(proxyBeanMethods = false)
class BackupConfiguration {

	@Bean
	BackupStore backupStore(BackupSettings settings) {
		return switch (settings.store()) {
			case FILESYSTEM -> new FilesystemBackupStore(settings.filesystem().directory());
			case AZURE -> new AzureBackupStore(settings.azure());
		};
	}

}
