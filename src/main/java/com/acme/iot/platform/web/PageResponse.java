package com.acme.iot.platform.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a collection: {@code {"items":[…],"page":0,"size":20,"total":42}}; pages count from 0.
 */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

	public <R> PageResponse<R> map(Function<? super T, R> mapper) {
		return new PageResponse<>(this.items.stream().<R>map(mapper).toList(), this.page, this.size, this.total);
	}

}
