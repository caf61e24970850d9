//! Secrecy in the types. A column that holds personal data is a [`Sealed<T>`] in its
//! entity, and its address a [`Column<T>`] declared beside the entity
//! (`store::entities`). [`FieldCipher::seal`](super::FieldCipher::seal) is the only way
//! to make a `Sealed<T>` from a `T`, and [`FieldCipher::open`](super::FieldCipher::open)
//! the only way back, at a `Place<T>` of the same type. So:
//! - plaintext written into a sealed column does not compile (a `String` or a
//!   `Vec<u8>` is not a `Sealed<_>`);
//! - a misspelt column does not compile (the addresses are constants, and each is
//!   checked against a field of its `Model` that holds a `Sealed` of the same type);
//! - a value opened as another type, or sealed at one column and stored in another of
//!   another type, does not compile. Two columns of one type are still told apart at
//!   run time: the address is the associated data, so a value moved opens nowhere else.
//!
//! The bytes are as before (see the module's layout): this is a compile-time layer,
//! not a format change.
//!
//! ```
//! use cuspid::crypto::{Column, FieldCipher, Sealed, SecretKey};
//! const NOTE: Column<String> = Column::new("example", "note");
//! let cipher = FieldCipher::new(&SecretKey::random(), 1);
//! let row = uuid::Uuid::now_v7();
//! let stored: Sealed<String> = cipher.seal(NOTE.at(row), "Ana");
//! assert_eq!(cipher.open(NOTE.at(row), &stored).unwrap(), "Ana");
//! ```
//! Plaintext is not a sealed value:
//! ```compile_fail
//! use cuspid::crypto::Sealed;
//! let stored: Sealed<String> = String::from("Ana");
//! ```
//! nor are a value's bytes (the one way from bytes is crate-private, for the image store):
//! ```compile_fail
//! use cuspid::crypto::Sealed;
//! let stored: Sealed<String> = Sealed::from_stored(b"Ana".to_vec());
//! ```
//! and a text column does not open as bytes:
//! ```compile_fail
//! use cuspid::crypto::{Column, FieldCipher, Sealed, SecretKey};
//! const NOTE: Column<String> = Column::new("example", "note");
//! let cipher = FieldCipher::new(&SecretKey::random(), 1);
//! let row = uuid::Uuid::now_v7();
//! let stored: Sealed<String> = cipher.seal(NOTE.at(row), "Ana");
//! let bytes: Vec<u8> = cipher.open(NOTE.at(row), &stored).unwrap();
//! ```

use std::marker::PhantomData;

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};
use uuid::Uuid;

use super::{Bound, FieldAddr};

/// What a sealed column's plaintext can be: text, or bytes (a JSON document, an image).
pub trait Plaintext: Sized {
    /// What [`FieldCipher::seal`](super::FieldCipher::seal) takes: `str` for text.
    type View: ?Sized;
    fn plain_bytes(view: &Self::View) -> &[u8];
    fn as_view(&self) -> &Self::View;
    /// `None` when the bytes are not a `Self` (text that is not UTF-8).
    fn from_plain_bytes(bytes: Vec<u8>) -> Option<Self>;
}

impl Plaintext for String {
    type View = str;
    fn plain_bytes(view: &str) -> &[u8] {
        view.as_bytes()
    }
    fn as_view(&self) -> &str {
        self
    }
    fn from_plain_bytes(bytes: Vec<u8>) -> Option<Self> {
        String::from_utf8(bytes).ok()
    }
}

impl Plaintext for Vec<u8> {
    type View = [u8];
    fn plain_bytes(view: &[u8]) -> &[u8] {
        view
    }
    fn as_view(&self) -> &[u8] {
        self
    }
    fn from_plain_bytes(bytes: Vec<u8>) -> Option<Self> {
        Some(bytes)
    }
}

/// A sealed column's address: its table and column, and the type it holds.
pub struct Column<T> {
    table: &'static str,
    column: &'static str,
    holds: PhantomData<fn() -> T>,
}

// By hand: a derive would ask `T: Copy`.
impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Column<T> {}

impl<T> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.table, self.column)
    }
}

impl<T> Column<T> {
    /// Declared once per column, in `store::entities` (the `sealed_columns!` there
    /// checks the name against the `Model`).
    pub const fn new(table: &'static str, column: &'static str) -> Self {
        Column { table, column, holds: PhantomData }
    }

    /// The value of this column in row `row`.
    pub const fn at(self, row: Uuid) -> Place<'static, T> {
        Place { addr: FieldAddr::new(self.table, self.column, row), holds: PhantomData }
    }
}

/// One sealed value's place: a column, a row, and the plain columns of the row it is
/// bound to ([`Bound`]).
pub struct Place<'a, T> {
    addr: FieldAddr<'a>,
    holds: PhantomData<fn() -> T>,
}

impl<T> Clone for Place<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Place<'_, T> {}

impl<T> std::fmt::Debug for Place<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{} of {}", self.addr.table, self.addr.column, self.addr.row)
    }
}

impl<'a, T> Place<'a, T> {
    /// Bind the value to the row's plain columns (format 2).
    pub fn bound<'b>(self, bound: &'b Bound) -> Place<'b, T>
    where
        'a: 'b,
    {
        Place { addr: FieldAddr { bound: bound.0.as_slice(), ..self.addr }, holds: PhantomData }
    }

    /// The same place without its bound columns: how values sealed before format 2
    /// are read, once, by the migration that re-seals them.
    pub(crate) const fn unbound(self) -> Self {
        Place { addr: self.addr.unbound(), holds: PhantomData }
    }

    /// The untyped address: the associated data the value is sealed under.
    pub const fn addr(&self) -> FieldAddr<'a> {
        self.addr
    }
}

/// A `T` as it is stored: sealed bytes, which say nothing of the value.
pub struct Sealed<T> {
    bytes: Vec<u8>,
    holds: PhantomData<fn() -> T>,
}

impl<T> Sealed<T> {
    /// A placeholder for a value sealed a statement later, once the row it is bound to
    /// is built (a row's [`Bound`] is read from the row). It has no header, so a row
    /// stored with it by mistake reads as tampered, never as empty or as plaintext.
    pub(crate) const fn pending() -> Self {
        Sealed { bytes: Vec::new(), holds: PhantomData }
    }

    /// Bytes taken as sealed: what `FieldCipher::seal` made, or a file of the image
    /// store. They still open only at their own place.
    pub(crate) fn from_stored(bytes: Vec<u8>) -> Self {
        Sealed { bytes, holds: PhantomData }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<T> Clone for Sealed<T> {
    fn clone(&self) -> Self {
        Sealed::from_stored(self.bytes.clone())
    }
}

impl<T> PartialEq for Sealed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<T> Eq for Sealed<T> {}

/// The length only: sealed bytes are not personal data, but they are noise in a log.
impl<T> std::fmt::Debug for Sealed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.bytes.len())
    }
}

/// Which fields may hold a `Sealed<T>`: the check `sealed_columns!` makes at compile time.
pub trait HoldsSealed<T> {}
impl<T> HoldsSealed<T> for Sealed<T> {}
impl<T> HoldsSealed<T> for Option<Sealed<T>> {}

/// Compiles only when `field` holds a `Sealed<T>` (or an optional one).
pub const fn holds_sealed<T>(_field: &impl HoldsSealed<T>) {}

// sea-orm: a sealed column is a binary column, read and written as its bytes.

impl<T> From<Sealed<T>> for Value {
    fn from(sealed: Sealed<T>) -> Self {
        sealed.bytes.into()
    }
}

impl<T> TryGetable for Sealed<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        <Vec<u8> as TryGetable>::try_get_by(res, index).map(Sealed::from_stored)
    }
}

impl<T> ValueType for Sealed<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        <Vec<u8> as ValueType>::try_from(v).map(Sealed::from_stored)
    }

    fn type_name() -> String {
        "Sealed".to_owned()
    }

    fn array_type() -> ArrayType {
        <Vec<u8> as ValueType>::array_type()
    }

    fn column_type() -> ColumnType {
        <Vec<u8> as ValueType>::column_type()
    }
}

impl<T> Nullable for Sealed<T> {
    fn null() -> Value {
        <Vec<u8> as Nullable>::null()
    }
}

impl<T> sea_orm::IntoActiveValue<Sealed<T>> for Sealed<T> {
    fn into_active_value(self) -> sea_orm::ActiveValue<Sealed<T>> {
        sea_orm::ActiveValue::Set(self)
    }
}

// As sea-orm's own value types do: a `Vec<Sealed<T>>` would be an array, not bytes.
impl<T> sea_orm::sea_query::postgres_array::NotU8 for Sealed<T> {}
