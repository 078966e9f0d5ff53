/** Requests, responses and handlers of the {@link org.mirage4j.api.HttpServer} device. */
package org.mirage4j.api.http;
