package com.acme.iot.readings;

/** The direction of a history listing; the constants are named as they are written in the query string. */
enum SortOrder {

	asc, desc

}
