//! The clinic's administration: its staff accounts (`staff`), its settings and
//! the procedure catalogue's fees (`settings`), and its particulars and data-
//! protection contact as printed on every letter (`profile`).

pub mod profile;
pub mod settings;
pub mod staff;
