//! The clinic's procedure catalogue: code, names in Romanian and English, default
//! fee in bani (RON / 100), and what the procedure needs charted (nothing, a tooth,
//! or surfaces of a tooth). Seeded with a default set the clinic edits.

use crate::shape::{big_int, string};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Procedure {
    Table,
    Code,
    NameRo,
    NameEn,
    FeeBani,
    Needs,
    Active,
}

/// (code, Romanian, English, fee in RON, needs).
const DEFAULTS: [(&str, &str, &str, i64, &str); 15] = [
    ("exam.initial", "Consultație inițială", "Initial examination", 150, "none"),
    ("exam.control", "Consultație de control", "Check-up", 100, "none"),
    ("radiograph.periapical", "Radiografie retroalveolară", "Periapical radiograph", 60, "tooth"),
    ("hygiene.scaling", "Detartraj și periaj profesional", "Scaling and polishing", 250, "none"),
    ("restoration.composite", "Obturație din compozit", "Composite filling", 300, "surfaces"),
    (
        "restoration.glass_ionomer",
        "Obturație din ionomer de sticlă",
        "Glass-ionomer filling",
        200,
        "surfaces",
    ),
    ("prevention.sealant", "Sigilare", "Fissure sealant", 120, "surfaces"),
    ("endo.single_canal", "Tratament de canal, un canal", "Root canal treatment, one canal", 500, "tooth"),
    (
        "endo.multi_canal",
        "Tratament de canal, mai multe canale",
        "Root canal treatment, several canals",
        900,
        "tooth",
    ),
    ("extraction.simple", "Extracție simplă", "Simple extraction", 250, "tooth"),
    ("extraction.surgical", "Extracție chirurgicală", "Surgical extraction", 600, "tooth"),
    ("crown.metal_ceramic", "Coroană metalo-ceramică", "Metal-ceramic crown", 1200, "tooth"),
    ("crown.zirconia", "Coroană din zirconiu", "Zirconia crown", 1800, "tooth"),
    ("bridge.pontic", "Corp de punte", "Bridge pontic", 1200, "tooth"),
    ("implant.placement", "Implant dentar", "Dental implant", 3500, "tooth"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Procedure::Table)
                .col(ColumnDef::new(Procedure::Code).string().not_null().primary_key())
                .col(string(Procedure::NameRo))
                .col(string(Procedure::NameEn))
                .col(big_int(Procedure::FeeBani))
                .col(string(Procedure::Needs))
                .col(ColumnDef::new(Procedure::Active).boolean().not_null().default(true))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table(Procedure::Table).columns([
            Procedure::Code,
            Procedure::NameRo,
            Procedure::NameEn,
            Procedure::FeeBani,
            Procedure::Needs,
            Procedure::Active,
        ]);
        for (code, ro, en, fee, needs) in DEFAULTS {
            insert.values_panic([
                code.into(),
                ro.into(),
                en.into(),
                (fee * 100).into(),
                needs.into(),
                true.into(),
            ]);
        }
        m.exec_stmt(insert).await
    }
}
