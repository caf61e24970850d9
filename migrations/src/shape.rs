//! Shapes the migrations repeat: column kinds, the foreign key to a patient, an
//! index, one column added to a table. Each emits exactly the statement the
//! migrations spelled out by hand before (guarded by `tests/schema.rs`), so a
//! table definition reads as a list of its columns.

use sea_orm_migration::prelude::*;

/// The `patient` table and its key, as other tables refer to it.
#[derive(DeriveIden)]
pub enum Patient {
    Table,
    Id,
}

/// `col uuid NOT NULL PRIMARY KEY`: a row's own id.
pub fn uuid_pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().primary_key().take()
}

/// `col uuid NOT NULL`: a required reference (a patient, a staff member).
pub fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
}

/// `col uuid NULL`: an optional reference.
pub fn uuid_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().null().take()
}

/// `col integer NOT NULL`: a required small number.
pub fn integer(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().take()
}

/// `col integer NOT NULL DEFAULT value`: a number (a flag, a version) that rows
/// written before it existed take as `value`.
pub fn integer_default(col: impl IntoIden, value: i32) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().default(value).take()
}

/// `col bigint NOT NULL`: a required instant (Unix seconds) or count.
pub fn big_int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}

/// `col bigint NULL`: an optional instant or count.
pub fn big_int_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().take()
}

/// `col varchar NOT NULL`: required plain text (a kind, a date).
pub fn string(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().take()
}

/// `col varchar NULL`: optional plain text.
pub fn string_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().take()
}

/// `col blob/bytea NOT NULL`: a required sealed value or MAC.
pub fn binary(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).binary().not_null().take()
}

/// `col blob/bytea NULL`: an optional sealed value or MAC.
pub fn binary_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).binary().null().take()
}

/// `FOREIGN KEY (col) REFERENCES patient (id)`, no actions.
pub fn patient_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Patient::Table, Patient::Id).take()
}

/// `CREATE INDEX name ON table (cols…)`, not unique.
pub fn index<C: IntoIndexColumn>(
    name: &str,
    table: impl IntoIden,
    cols: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    index
}

/// `ALTER TABLE table ADD COLUMN column`: one column, as SQLite wants it.
pub async fn add_column(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoColumnDef,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(column).take()).await
}

/// `CREATE TABLE table (id uuid NOT NULL PRIMARY KEY, patient_id uuid NOT NULL, …,
/// FOREIGN KEY (patient_id) REFERENCES patient (id))`: a table of rows that each
/// belong to one patient; chain the remaining columns with `.col(…)`.
pub fn patient_table(
    table: impl IntoIden,
    id: impl IntoIden,
    patient_id: impl IntoIden,
) -> TableCreateStatement {
    let (table, patient_id) = (table.into_iden(), patient_id.into_iden());
    Table::create()
        .table(table.clone())
        .col(uuid_pk(id))
        .col(uuid(patient_id.clone()))
        .foreign_key(&mut patient_fk(table, patient_id))
        .take()
}

/// The columns saying who wrote a row and when, shared by many tables.
#[derive(DeriveIden)]
pub enum Stamp {
    RecordedAt,
    RecordedBy,
    UpdatedAt,
    UpdatedBy,
}

/// Stamp columns, chained onto a table definition like any `.col(…)`.
pub trait Stamped {
    /// `recorded_at bigint NOT NULL, recorded_by uuid NOT NULL`: when a row was
    /// written and by which staff member.
    fn recorded(&mut self) -> &mut Self;

    /// `updated_at bigint NOT NULL, updated_by uuid NOT NULL`: when a row last
    /// changed and by which staff member.
    fn updated(&mut self) -> &mut Self;
}

impl Stamped for TableCreateStatement {
    fn recorded(&mut self) -> &mut Self {
        self.col(big_int(Stamp::RecordedAt)).col(uuid(Stamp::RecordedBy))
    }

    fn updated(&mut self) -> &mut Self {
        self.col(big_int(Stamp::UpdatedAt)).col(uuid(Stamp::UpdatedBy))
    }
}
