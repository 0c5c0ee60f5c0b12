//! The virtual machine that runs server-tier bytecode on a message.
