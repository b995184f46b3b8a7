use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::codes::coded_enum;
use crate::ids::{OrganizationId, ProductId};

coded_enum! {
    pub enum ProductKind as "product kind" {
        KDrive = "kdrive",
        KSuite = "ksuite",
        MyKSuite = "my_ksuite",
        WebHosting = "web_hosting",
        Domain = "domain",
        MailService = "mail_service",
        JelasticCloud = "jelastic_cloud",
        Vps = "vps",
        PublicCloud = "public_cloud",
        SwissBackup = "swiss_backup",
        Streaming = "streaming",
        SslCertificate = "ssl_certificate",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub name: Arc<str>,
    pub kind: ProductKind,
    pub owner: OrganizationId,
}

/// What a warning shows about a product: enough to name it, without its owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRef {
    pub id: ProductId,
    pub name: Arc<str>,
    pub kind: ProductKind,
}

impl From<&Product> for ProductRef {
    fn from(product: &Product) -> Self {
        Self {
            id: product.id.clone(),
            name: product.name.clone(),
            kind: product.kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in ProductKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<ProductKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            serde_json::to_string(&ProductKind::MyKSuite).unwrap(),
            "\"my_ksuite\""
        );
        assert!(ProductKind::parse("k_drive").is_err());
    }
}
