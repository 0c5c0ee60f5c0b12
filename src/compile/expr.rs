//! Expressions and string templates to stack code.
//!
//! `AND` and `OR` short-circuit: the left value stays on the stack when it
//! decides the result, and [`Instruction::Truth`] turns whichever value is
//! left into 0 or 1.

use crate::ast::server::{BinaryOp, Expr, ExprKind, Pattern, Template, TemplatePart, UnaryOp};
use crate::diag::{codes, Diagnostic};
use crate::program::bytecode::{Builtin, Comparison, Instruction};

use super::Compiler;

impl Compiler<'_> {
    /// Emits code that leaves the value of `expr` on the stack.
    pub(crate) fn expression(&mut self, expr: &Expr, depth: usize) {
        if depth > self.limits.max_expression_depth {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::EXPRESSION_TOO_DEEP,
                    expr.span,
                    format!(
                        "expression nests deeper than the limit of {}",
                        self.limits.max_expression_depth
                    ),
                )
                .with_help("split the condition over several rules and a variable"),
            );
            return;
        }
        match &expr.kind {
            ExprKind::Int(value) => {
                let index = self.emitter.int(*value);
                self.emitter.emit(Instruction::PushInt(index));
            }
            ExprKind::Str(template) => self.template(template),
            ExprKind::Var(variable) => {
                let slot = self.emitter.variable(variable, self.config);
                self.emitter.emit(Instruction::Load(slot));
            }
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, depth),
            ExprKind::Unary { op, operand } => {
                self.expression(operand, depth + 1);
                self.emitter.emit(match op {
                    UnaryOp::Not => Instruction::Not,
                    UnaryOp::Negate => Instruction::Negate,
                });
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, depth),
            ExprKind::Match {
                value,
                negated,
                pattern,
            } => {
                self.expression(value, depth + 1);
                if let Some(index) = self.expression_pattern(pattern) {
                    self.emitter.emit(if *negated {
                        Instruction::NotMatch(index)
                    } else {
                        Instruction::Match(index)
                    });
                }
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, depth: usize) {
        let short_circuit = match op {
            BinaryOp::And => Some(Instruction::JumpIfFalseOrPop(0)),
            BinaryOp::Or => Some(Instruction::JumpIfTrueOrPop(0)),
            _ => None,
        };
        self.expression(lhs, depth + 1);
        if let Some(jump) = short_circuit {
            let at = self.emitter.emit(jump);
            self.expression(rhs, depth + 1);
            let end = self.emitter.here();
            self.emitter.patch(at, end);
            self.emitter.emit(Instruction::Truth);
            return;
        }
        self.expression(rhs, depth + 1);
        let instruction = match op {
            BinaryOp::Add => Instruction::Add,
            BinaryOp::Subtract => Instruction::Subtract,
            BinaryOp::Equal => Instruction::Compare(Comparison::Equal),
            BinaryOp::NotEqual => Instruction::Compare(Comparison::NotEqual),
            BinaryOp::Less => Instruction::Compare(Comparison::Less),
            BinaryOp::LessEqual => Instruction::Compare(Comparison::LessEqual),
            BinaryOp::Greater => Instruction::Compare(Comparison::Greater),
            BinaryOp::GreaterEqual => Instruction::Compare(Comparison::GreaterEqual),
            BinaryOp::And | BinaryOp::Or => return,
        };
        self.emitter.emit(instruction);
    }

    fn call(&mut self, name: &str, name_span: crate::span::Span, args: &[Expr], depth: usize) {
        let lower = name.trim_start_matches('@').to_ascii_lowercase();
        if lower == "inwordlist" {
            self.word_list_call(name_span, args, depth);
            return;
        }
        let builtin = match lower.as_str() {
            "istrustedip" => Builtin::IsTrustedIp,
            "istrustedaddress" => Builtin::IsTrustedAddress,
            "isblockedip" => Builtin::IsBlockedIp,
            "isblockedaddress" => Builtin::IsBlockedAddress,
            "inblocklist" => Builtin::InBlockList,
            "hasheader" => Builtin::HasHeader,
            "headercount" => Builtin::HeaderCount,
            "isupper" => Builtin::IsUpper,
            "len" => Builtin::Len,
            "lower" => Builtin::Lower,
            "domain" => Builtin::Domain,
            _ => {
                self.diagnostics.push(Diagnostic::error(
                    codes::UNKNOWN_FUNCTION,
                    name_span,
                    format!("unknown function `@{lower}`"),
                ));
                return;
            }
        };
        let optional_flag = builtin == Builtin::InBlockList && args.len() == 1;
        if args.len() != builtin.arity() && !optional_flag {
            self.diagnostics.push(Diagnostic::error(
                codes::ARGUMENT_COUNT,
                name_span,
                format!(
                    "`{}` takes {} argument(s), found {}",
                    builtin.name(),
                    builtin.arity(),
                    args.len()
                ),
            ));
            return;
        }
        for arg in args {
            self.expression(arg, depth + 1);
        }
        if optional_flag {
            let zero = self.emitter.int(0);
            self.emitter.emit(Instruction::PushInt(zero));
        }
        self.emitter.emit(Instruction::Call(builtin));
    }

    /// `@inwordlist("lists.NAME", text)`: the list is chosen at compile
    /// time, so its name must be a literal.
    fn word_list_call(&mut self, name_span: crate::span::Span, args: &[Expr], depth: usize) {
        let [list, text] = args else {
            self.diagnostics.push(Diagnostic::error(
                codes::ARGUMENT_COUNT,
                name_span,
                format!("`@inwordlist` takes 2 arguments, found {}", args.len()),
            ));
            return;
        };
        let name = match &list.kind {
            ExprKind::Str(template) => template.as_literal(),
            _ => None,
        };
        let Some(name) = name else {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::TYPE_MISMATCH,
                    list.span,
                    "the list of `@inwordlist` must be a literal name",
                )
                .with_help("write the list's file name in quotes, as in \"lists.badwords\""),
            );
            return;
        };
        let key = name.to_ascii_lowercase();
        if !self.word_list_names.contains(&key) {
            self.diagnostics.push(Diagnostic::error(
                codes::LIST_NOT_FOUND,
                list.span,
                format!("word list `{name}` is not in the rule set"),
            ));
            return;
        }
        let index = match self.word_lists.iter().position(|known| *known == key) {
            Some(index) => index,
            None => {
                self.word_lists.push(key);
                self.word_lists.len() - 1
            }
        };
        self.expression(text, depth + 1);
        self.emitter.emit(Instruction::InWordList(index as u32));
    }

    /// Emits code that leaves the template's text on the stack.
    pub(crate) fn template(&mut self, template: &Template) {
        if let Some(text) = template.as_literal() {
            let index = self.emitter.string(&text);
            self.emitter.emit(Instruction::PushStr(index));
            return;
        }
        for part in &template.parts {
            match part {
                TemplatePart::Text(text) => {
                    let index = self.emitter.string(text);
                    self.emitter.emit(Instruction::PushStr(index));
                }
                TemplatePart::Var(variable) => {
                    let slot = self.emitter.variable(variable, self.config);
                    self.emitter.emit(Instruction::Load(slot));
                }
                TemplatePart::Capture { group, .. } => {
                    self.rule_uses_captures = true;
                    self.emitter.emit(Instruction::PushCapture(*group));
                }
            }
        }
        self.emitter
            .emit(Instruction::Concat(template.parts.len() as u32));
    }

    /// Builds the matcher of an `=~` pattern and returns its index.
    fn expression_pattern(&mut self, pattern: &Pattern) -> Option<u32> {
        let set = self.pattern_set(std::slice::from_ref(pattern))?;
        self.expression_patterns.push(set);
        Some(self.expression_patterns.len() as u32 - 1)
    }
}
