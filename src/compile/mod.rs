//! Compiler: checked server-rule AST to bytecode.
