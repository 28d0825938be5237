/**
 * Release info: what is running (version, commit, revision), the schema compatibility contract that makes
 * instant rollback safe, and the operations surface built on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Release info")
@org.jspecify.annotations.NullMarked
package com.acme.iot.releaseinfo;
