//! POP3 client: connect, TLS/STLS, CAPA, auth, pipelined RETR streaming.
