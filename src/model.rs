//! Plain ids and types shared by every layer.
