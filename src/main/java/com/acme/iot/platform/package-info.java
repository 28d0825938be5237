/**
 * Shared kernel used by every module: security (API, device and JWT callers), problem+json errors, the
 * embedded PostgreSQL default, persistence conversions, scheduler locking and the module listeners' bounded
 * executor. It owns no business data.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
@org.jspecify.annotations.NullMarked
package com.acme.iot.platform;
