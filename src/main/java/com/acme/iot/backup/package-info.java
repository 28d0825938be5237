/**
 * Backup: scheduled {@code pg_dump} snapshots streamed to Azure Blob Storage or a local folder, retention,
 * restore drills, and the admin restore of the live database behind a maintenance flag.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Backup", allowedDependencies = "platform :: *")
@org.jspecify.annotations.NullMarked
package com.acme.iot.backup;
