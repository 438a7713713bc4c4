//! The closed vocabularies of the model (`Relation`, `Confidence`, `Kind`, ...) as one
//! trait, [`Word`], and every form derived from an enum's one spelling: parsing, the
//! list in an "expected one of …" message, and the values of a command-line flag.
//!
//! Each enum spells its words once, in `#[strum(serialize_all = …)]` beside the
//! matching `#[serde(rename_all = …)]`; the JSON Schema (schemars) and the OpenAPI
//! schema (utoipa) read the serde attribute. A test checks that serde, strum, clap and
//! utoipa give the same word for every variant of every enum, so the two attributes
//! cannot drift apart.

/// An enum whose every variant has one spelling: in YAML, JSON, URLs, flags and RDF.
pub trait Word: Copy + Eq + std::fmt::Debug + Into<&'static str> + 'static {
    /// Every variant, in the order lists and messages show them.
    const LISTED: &'static [Self];

    /// The variant's spelling.
    fn word(self) -> &'static str {
        self.into()
    }

    /// The variant spelled `word`, if any (exact, case-sensitive).
    fn from_word(word: &str) -> Option<Self> {
        Self::LISTED.iter().copied().find(|v| v.word() == word)
    }

    /// Every spelling, in list order.
    fn words() -> impl Iterator<Item = &'static str> {
        Self::LISTED.iter().map(|v| v.word())
    }

    /// `a, b, c`: for "expected one of …".
    fn comma_list() -> String {
        Self::words().collect::<Vec<_>>().join(", ")
    }

    /// `a, b or c`: for "expected …".
    fn or_list() -> String {
        let words: Vec<&str> = Self::words().collect();
        match words.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Implements [`Word`] (in declaration order, or the order given), the inherent
/// `ALL`, `as_str` and `parse`, `Display` and `clap::ValueEnum`, all from the enum's strum spelling.
macro_rules! words {
    ($ty:ty) => {
        $crate::model::words!($ty, <$ty as ::strum::VariantArray>::VARIANTS);
    };
    ($ty:ty, $listed:expr) => {
        impl $crate::model::Word for $ty {
            const LISTED: &'static [Self] = $listed;
        }

        impl $ty {
            /// Every variant, in list order.
            pub const ALL: [$ty; <$ty as $crate::model::Word>::LISTED.len()] =
                match <$ty as $crate::model::Word>::LISTED.first_chunk() {
                    Some(all) => *all,
                    None => unreachable!(),
                };

            /// The word as written in YAML, in the API and in the vocabulary.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The variant spelled `word`.
            pub fn parse(word: &str) -> Option<Self> {
                <Self as $crate::model::Word>::from_word(word)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                <Self as $crate::model::Word>::LISTED
            }

            fn to_possible_value(&self) -> Option<::clap::builder::PossibleValue> {
                Some(::clap::builder::PossibleValue::new(self.as_str()))
            }
        }
    };
}
pub(crate) use words;
