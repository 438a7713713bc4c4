//! Person records (`graph-data/people/`): roles and public positions.

use super::{ExternalIds, Id, Spanned};

claim! {
    /// A role a person held at an organisation.
    pub struct Role {
        /// Id of the organisation.
        pub organization: Spanned<Id>,
        /// The title as the organisation or the press gives it (`Chief AI Officer`).
        pub title: Spanned<String>,
    }
}

claim! {
    /// A publicly reported position a person holds.
    pub struct Position {
        /// The position in a sentence ("favours closed models over open-weight releases").
        pub statement: Spanned<String>,
        /// Ids of the records the position concerns.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub about: Box<[Spanned<Id>]>,
    }
}

record! {
    /// A person (`graph-data/people/`).
    pub struct Person {
        pub id: Spanned<Id>,
        pub name: Spanned<String>,
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub aliases: Box<[Spanned<String>]>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Roles over time.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub roles: Box<[Spanned<Role>]>,
        /// Publicly reported positions.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub positions: Box<[Spanned<Position>]>,
    }
}

impl Person {
    /// The first role that holds now (no `until`): the one a summary shows.
    pub fn current_role(&self) -> Option<&Spanned<Role>> {
        self.roles.iter().find(|r| r.until.is_none())
    }
}
