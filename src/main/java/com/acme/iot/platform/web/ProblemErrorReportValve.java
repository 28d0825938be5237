package com.acme.iot.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Replaces Tomcat's HTML error page for the errors Tomcat answers itself (a request line or header too long,
 * a malformed URI): a minimal problem+json body, no server details. Instantiated by Tomcat by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String reason = StringManager.getManager("org.apache.catalina.valves").getString("http." + status + ".reason");
		if (reason == null || reason.startsWith("http.")) {
			reason = status >= 500 ? "Internal Server Error" : "Bad Request";
		}
		String type = status >= 500 ? ProblemTypes.INTERNAL.toString() : ProblemTypes.MALFORMED_REQUEST.toString();
		String body = "{\"type\":\"" + type + "\",\"title\":\"" + reason.replace("\"", "'") + "\",\"status\":" + status
				+ ",\"detail\":\"The request could not be processed.\"}";
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is already committed; nothing more to tell it.
		}
	}

}
