/**
 * Requests, responses, handlers and the {@link org.mirage4j.api.http.Router} of the {@link
 * org.mirage4j.api.HttpServer} device (the {@link org.mirage4j.api.HttpClient} device has its own
 * request and response). See {@code docs/http.md} for a worked example.
 */
package org.mirage4j.api.http;
