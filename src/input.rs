//! Message inputs: files, directories, mbox, Maildir and standard input.
