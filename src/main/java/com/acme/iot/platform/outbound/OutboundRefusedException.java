package com.acme.iot.platform.outbound;

import java.io.IOException;

/**
 * An outbound request the policy refused without sending it (an internal address, credentials in the URL):
 * retrying cannot help.
 */
public class OutboundRefusedException extends IOException {

	OutboundRefusedException(String reason) {
		super(reason);
	}

}
