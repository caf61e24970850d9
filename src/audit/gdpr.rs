//! The audit trail in the GDPR interface. The person may know when their data was
//! consulted or changed and why (CJEU C-579/21); the staff member's identity is
//! not theirs to receive, so the export names the role. Append-only: erasure keeps
//! it, and it names the patient by id only.

use async_trait::async_trait;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, field,
};
use crate::store::entities::audit_event;

#[derive(Debug)]
pub struct AuditTrail;

const HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "jurnalul de acces: când au fost consultate sau modificate datele dumneavoastră, de ce rol și \
             în ce scop (fără alte date despre dumneavoastră decât un identificator)",
        en: "the access log: when your data was consulted or changed, by which role and for what purpose \
             (holding nothing about you but an identifier)",
    },
    purpose: Bilingual {
        ro: "securitatea datelor și dovada respectării regulilor",
        en: "the security of your data and proof that the rules were kept",
    },
    legal_basis: Bilingual {
        ro: "art. 5 alin. (1) lit. (f), art. 5 alin. (2) și art. 32 GDPR",
        en: "Art. 5(1)(f), Art. 5(2) and Art. 32 GDPR",
    },
    recipients: Bilingual { ro: "nimeni", en: "no one" },
    source: Bilingual { ro: "scris de aplicație", en: "written by the application" },
    retention: "audit_log",
}];

const KEEP: Bilingual = Bilingual {
    ro: "jurnalul de securitate nu se modifică; el nu conține decât un identificator, nu numele dumneavoastră",
    en: "the security log cannot be changed; it holds only an identifier, not your name",
};

#[async_trait]
impl PersonalData for AuditTrail {
    fn about(&self) -> About {
        About::new("audit", &["audit_event"], HOLDINGS)
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::SubjectId.eq(cx.id()))
            .order_by_asc(audit_event::Column::Seq)
            .all(cx.tx)
            .await?;
        let records = rows
            .into_iter()
            .map(|e| Record {
                id: uuid::Uuid::from_u64_pair(0, e.seq as u64),
                fields: vec![
                    field("at", super::format_micros(e.at)),
                    field("action", e.action),
                    field("role", e.role),
                    field("purpose", e.purpose),
                    field("outcome", e.outcome),
                ],
            })
            .collect();
        Ok(vec![ExportPart { kind: "access_log", records, ..Default::default() }])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        cx.keep("audit_log", cx.today, KEEP)
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, _retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let kept = audit_event::Entity::find()
            .filter(audit_event::Column::SubjectId.eq(cx.id()))
            .count(cx.tx)
            .await?;
        Ok(vec![ErasedPart::kept("access_log", kept, fate)])
    }
}
