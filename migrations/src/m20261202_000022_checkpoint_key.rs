//! The key that authenticates the workstations' audit checkpoints, random and
//! wrapped under the clinic key, so `keys rotate` replaces it: a former employee who
//! kept the old one cannot forge checkpoints made after the rotation. The previous
//! key is kept (wrapped under the new clinic key) only to read the checkpoints
//! written before the rotation, up to the log's head at that moment. A clinic
//! written before has none of them yet and keeps its checkpoints under the audit
//! key until its first rotation.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicMeta {
    Table,
    CheckpointKeyId,
    CheckpointKeyWrapped,
    CheckpointPrevId,
    CheckpointPrevWrapped,
    CheckpointRotatedSeq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds them one at a time.
        let columns = [
            ColumnDef::new(ClinicMeta::CheckpointKeyId).uuid().null().to_owned(),
            ColumnDef::new(ClinicMeta::CheckpointKeyWrapped).binary().null().to_owned(),
            ColumnDef::new(ClinicMeta::CheckpointPrevId).uuid().null().to_owned(),
            ColumnDef::new(ClinicMeta::CheckpointPrevWrapped).binary().null().to_owned(),
            ColumnDef::new(ClinicMeta::CheckpointRotatedSeq).big_integer().null().to_owned(),
        ];
        for column in columns {
            m.alter_table(Table::alter().table(ClinicMeta::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
