package com.acme.iot.platform.web;

import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The error mapping of failures that need no running database to reproduce; the database-outage fault
 * script (src/test/reliability/database-outage.sh) shows the same against a stopped PostgreSQL.
 */
class ProblemDetailsAdviceUnitTests {

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
		.setControllerAdvice(new ProblemDetailsAdvice())
		.build();

	@Test
	void answersServiceUnavailableWhenATransactionCannotGetAConnection() throws Exception {
		this.mvc.perform(post("/write"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
	}

	@Test
	void answersServiceUnavailableWhenTheConnectionDiesDuringCommit() throws Exception {
		this.mvc.perform(post("/commit"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
	}

	@RestController
	static class FailingController {

		@PostMapping("/write")
		void write() {
			// what DataSourceTransactionManager throws while the database is down
			throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
					new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms"));
		}

		@PostMapping("/commit")
		void commit() {
			// what the transaction manager throws when PostgreSQL terminates the connection during a commit
			throw new TransactionSystemException("JDBC rollback failed");
		}

	}

}
