//! Closed sets kept in a text column and sent to the UI by the same code:
//! [`text_codes!`] declares the enum once, with its codes.

/// An enum whose variants are stored, serialised and exported to TypeScript as
/// their code (`"restricted"`), with `as_str`, `from_code`, `ALL`, and `Debug` and
/// `Display` that print the code. It compares equal to its code as a `&str`.
macro_rules! text_codes {
    ($(#[$meta:meta])* pub enum $ty:ident { $($(#[$vmeta:meta])* $var:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum $ty {
            $($(#[$vmeta])* #[serde(rename = $code)] $var,)+
        }

        impl $ty {
            pub const ALL: [$ty; [$(stringify!($var)),+].len()] = [$($ty::$var),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$var => $code,)+
                }
            }

            /// The variant stored as `code`, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($ty::$var),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, code: &&str) -> bool {
                self.as_str() == *code
            }
        }
    };
}

pub(crate) use text_codes;
