//! Actions to instructions. `SET` assignments become loads, arithmetic
//! and stores; the other actions are single instructions that take their
//! string from the stack.

use crate::ast::server::{Action, ActionKind, AssignOp, Assignment};
use crate::program::bytecode::Instruction;

use super::Compiler;

impl Compiler<'_> {
    pub(crate) fn action(&mut self, action: &Action) {
        match &action.kind {
            ActionKind::Set(assignments) => {
                for assignment in assignments {
                    self.assignment(assignment);
                }
            }
            ActionKind::Spam => {
                self.emitter.emit(Instruction::Spam);
            }
            ActionKind::DiscardHeader => {
                self.emitter.emit(Instruction::DiscardHeader);
            }
            ActionKind::Inject(template) => {
                self.template(template);
                self.emitter.emit(Instruction::Inject);
            }
            ActionKind::Replace(template) => {
                self.template(template);
                self.emitter.emit(Instruction::Replace);
            }
            ActionKind::DiscardMessage => {
                self.emitter.emit(Instruction::DiscardMessage);
            }
            ActionKind::Ndn(Some(template)) => {
                self.template(template);
                self.emitter.emit(Instruction::Ndn);
            }
            ActionKind::Ndn(None) => {
                self.emitter.emit(Instruction::NdnDefault);
            }
            ActionKind::Done => {
                self.emitter.emit(Instruction::Done);
            }
        }
    }

    fn assignment(&mut self, assignment: &Assignment) {
        let slot = self.emitter.variable(&assignment.target, self.config);
        match assignment.op {
            AssignOp::Set => self.expression(&assignment.value, 0),
            AssignOp::Add | AssignOp::Subtract => {
                self.emitter.emit(Instruction::Load(slot));
                self.expression(&assignment.value, 0);
                self.emitter.emit(if assignment.op == AssignOp::Add {
                    Instruction::Add
                } else {
                    Instruction::Subtract
                });
            }
        }
        self.emitter.emit(Instruction::Store(slot));
    }
}
