package com.acme.iot.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits that keep hostile or broken clients from exhausting the service.
 *
 * @param maxRequestSize largest request body accepted; larger ones answer 413 (a full 10,000-reading
 * gateway batch is about 1 MB)
 * @param maxJsonDepth deepest JSON nesting accepted; this API's documents nest three levels at most
 */
@ConfigurationProperties("iot.web")
public record WebLimits(@DefaultValue("4MB") DataSize maxRequestSize, @DefaultValue("32") int maxJsonDepth) {

	/**
	 * Longest number literal a JSON body may hold: a double needs at most 24 characters, and a 400-digit
	 * number only overflows whatever reads it.
	 */
	public static final int MAX_NUMBER_LENGTH = 100;

}
