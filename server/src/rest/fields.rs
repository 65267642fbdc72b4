//! Collects every invalid field of a request, so one 422 names them all.

use super::error::{ApiError, FieldProblem};
use app::domain::inputs::ParseResult;

#[derive(Default)]
pub struct Fields {
    problems: Vec<FieldProblem>,
}

impl Fields {
    /// A required value: records the problem and returns `None` when it does not parse.
    pub fn req<T>(&mut self, field: impl Into<String>, parsed: ParseResult<T>) -> Option<T> {
        parsed
            .map_err(|message| {
                self.problems.push(FieldProblem {
                    field: field.into(),
                    message,
                })
            })
            .ok()
    }

    /// An optional value: `None` and blank strings mean absent.
    pub fn opt<T>(
        &mut self,
        field: impl Into<String>,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> ParseResult<T>,
    ) -> Option<T> {
        match value {
            Some(v) if !v.trim().is_empty() => self.req(field, parse(v)),
            _ => None,
        }
    }

    pub fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(FieldProblem {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `Ok` when nothing was wrong.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_fields(self.problems))
        }
    }
}
