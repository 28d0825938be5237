package com.acme.iot.platform.events;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalApplicationListenerMethodAdapter;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.util.ClassUtils;

/**
 * The listener ids of this release's persisted listeners, the way the registry stores them (declaring class,
 * method, parameter types). A publication whose listener id is not among them was left by an earlier release
 * whose listener was renamed or removed: no retry can ever deliver it, and the admin view says so.
 */
@Component
class RegisteredListeners {

	private final ConfigurableListableBeanFactory beans;

	private volatile @Nullable Set<String> ids;

	RegisteredListeners(ConfigurableListableBeanFactory beans) {
		this.beans = beans;
	}

	boolean contains(String listenerId) {
		return ids().contains(listenerId);
	}

	private Set<String> ids() {
		Set<String> known = this.ids;
		if (known == null) {
			known = scan();
			this.ids = known;
		}
		return known;
	}

	private Set<String> scan() {
		Set<String> found = new HashSet<>();
		for (String name : this.beans.getBeanDefinitionNames()) {
			Class<?> target;
			Map<Method, TransactionalEventListener> listeners;
			try {
				Class<?> type = this.beans.getType(name, false);
				if (type == null) {
					continue;
				}
				target = ClassUtils.getUserClass(type);
				listeners = MethodIntrospector.selectMethods(target,
						(MethodIntrospector.MetadataLookup<TransactionalEventListener>) method -> AnnotatedElementUtils
							.findMergedAnnotation(method, TransactionalEventListener.class));
			}
			catch (RuntimeException | LinkageError ex) {
				continue; // an infrastructure bean whose type cannot be introspected declares no listener of ours
			}
			listeners.forEach((method, annotation) -> {
				if (annotation.phase() == TransactionPhase.AFTER_COMMIT) {
					found.add(new TransactionalApplicationListenerMethodAdapter(name, target, method).getListenerId());
				}
			});
		}
		return Set.copyOf(found);
	}

}
