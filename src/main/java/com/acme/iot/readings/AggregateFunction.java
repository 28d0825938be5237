package com.acme.iot.readings;

/** What an aggregate bucket may carry; the constants are named as they are written in the query string. */
enum AggregateFunction {

	avg, min, max, sum, count

}
