package com.acme.iot.backup;

import java.util.List;

import javax.sql.DataSource;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.acme.iot.ApiClient;
import com.acme.iot.ExternalTools;
import com.acme.iot.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups into Azure Blob Storage, emulated by Azurite, which the test starts and kills; restores stream the
 * blob into pg_restore's stdin.
 */
@ExtendWith(Azurite.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "iot.backup.store=azure", "iot.backup.azure.container=backups-test",
				"iot.backup.azure.block-size=1MB", "iot.backup.maintenance-poll-interval=PT0.2S" })
@DirtiesContext
class AzureBackupIntegrationTests {

	@DynamicPropertySource
	static void azurite(DynamicPropertyRegistry registry) {
		registry.add("iot.backup.azure.connection-string", Azurite::connectionString);
	}

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	BackupStore store;

	@Autowired
	TestClock clock;

	JdbcTemplate jdbc;

	BackupTestSupport support;

	ApiClient admin;

	BlobContainerClient container;

	@BeforeEach
	void setUp() {
		ExternalTools.require("pg_dump");
		this.admin = new ApiClient(this.port, "test-admin-token");
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.support = new BackupTestSupport(this.admin, this.jdbc);
		this.container = new BlobServiceClientBuilder().connectionString(Azurite.connectionString())
			.buildClient()
			.getBlobContainerClient("backups-test");
	}

	@Test
	void restoresIdenticalDataFromAnAzureBackup() {
		this.support.registerSensor("kept in azure");
		List<String> before = this.support.snapshot();
		String id = this.support.backup().get("id").stringValue();
		assertThat(this.container.getBlobClient(id + ".dump").exists()).isTrue();
		assertThat(this.container.getBlobClient(id + ".manifest.json").exists()).isTrue();
		this.support.registerSensor("added after the backup");

		JsonNode restore = this.support.restore("{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, id));

		assertThat(restore.get("status").stringValue()).as(restore.toString()).isEqualTo("SUCCEEDED");
		assertThat(this.support.snapshot()).isEqualTo(before);
	}

	@Test
	void passesARestoreDrillStreamedFromAzure() {
		String id = this.support.backup().get("id").stringValue();

		JsonNode drill = this.support.restore("{\"backupId\":\"%s\",\"target\":\"scratch\"}".formatted(id));

		assertThat(drill.get("status").stringValue()).as(drill.toString()).isEqualTo("SUCCEEDED");
		assertThat(drill.get("checks").get("problems").isEmpty()).isTrue();
	}

	@Test
	void refusesABlobWithOneFlippedByteAndLeavesTheDatabaseUnchanged() {
		String id = this.support.backup().get("id").stringValue();
		byte[] bytes = this.container.getBlobClient(id + ".dump").downloadContent().toBytes();
		bytes[bytes.length / 3] ^= 0x40;
		this.container.getBlobClient(id + ".dump").upload(BinaryData.fromBytes(bytes), true);
		this.support.registerSensor("written after the backup");
		List<String> before = this.support.snapshot();

		JsonNode restore = this.support.restore("{\"backupId\":\"%s\",\"confirm\":\"%s\"}".formatted(id, id));

		assertThat(restore.get("status").stringValue()).isEqualTo("FAILED");
		assertThat(restore.get("error").stringValue()).contains("corrupt");
		assertThat(this.support.snapshot()).isEqualTo(before);
	}

	@Test
	void neverListsAnInterruptedUpload() throws Exception {
		BackupId interrupted = BackupId.next(this.clock.instant());
		BackupStore.Upload upload = this.store.upload(interrupted);
		upload.stream().write(new byte[3 * 1024 * 1024]);
		upload.stream().flush();
		upload.abort();

		assertThat(this.container.listBlobs().stream().map(BlobItem::getName)).noneMatch(name -> name.startsWith(interrupted.value()));
		assertThat(this.admin.get("/actuator/backups").json().valueStream().map(item -> item.get("id").stringValue()))
			.doesNotContain(interrupted.value());
		assertThat(this.admin.get("/actuator/backups/" + interrupted).status()).isEqualTo(404);
	}

}
