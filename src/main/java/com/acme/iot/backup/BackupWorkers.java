package com.acme.iot.backup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Threads of the backups and restores started from the endpoints. Deliberately not an {@code Executor} bean,
 * which would replace the application task executor that the event listeners run on.
 */
@Component
class BackupWorkers implements DisposableBean {

	private final AtomicInteger count = new AtomicInteger();

	private final ExecutorService executor = Executors.newCachedThreadPool(new ThreadFactory() {

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "backup-" + BackupWorkers.this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	});

	void submit(Runnable task) {
		this.executor.execute(task);
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
