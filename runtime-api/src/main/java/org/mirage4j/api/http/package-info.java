/**
 * Requests, responses, handlers and the {@link org.mirage4j.api.http.Router} of the {@link
 * org.mirage4j.api.HttpServer} device. See {@code docs/http.md} for a worked example.
 */
package org.mirage4j.api.http;
