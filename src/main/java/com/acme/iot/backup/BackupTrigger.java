package com.acme.iot.backup;

/** Why a backup was taken. */
enum BackupTrigger {

	SCHEDULED, MANUAL, PRE_DEPLOY, PRE_RESTORE

}
