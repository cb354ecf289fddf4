pub struct Finding;
pub enum Rule {}
pub fn lint(_s: &super::Sequence) -> Vec<Finding> { vec![] }
