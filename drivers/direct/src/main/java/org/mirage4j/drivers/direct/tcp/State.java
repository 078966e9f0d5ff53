package org.mirage4j.drivers.direct.tcp;

/**
 * The connection states of RFC 9293 3.3.2. LISTEN is not a connection state here: a listening port
 * is a {@link PortListener}, and a connection begins in SYN_SENT or SYN_RECEIVED.
 */
enum State {
  SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
  TIME_WAIT, CLOSED
}
