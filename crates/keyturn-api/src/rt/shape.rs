//! The macro the generator writes per part file, [`shapes!`]: a table of structures, each with
//! its docs, its roles and a single table of its members; structures whose members are the
//! same (names, types, wire and message names, rules) list their headers over one shared
//! member table. Each structure becomes one [`shape!`]: the struct, its `Default`, and the
//! impls its roles ask for.
//!
//! ```text
//! rt::shapes! {
//!     /// The structure's documentation.
//!     pub struct Tag [input output] {
//!         /// A member's documentation.
//!         key: String = "Key" "key" => &c::TAG_KEY_TYPE,
//!         value: String = "Value" "value" => &c::TAG_VALUE_TYPE,
//!     } shown(|v: &Tag| format!("Tag(key={}, value={})", v.key, v.value))
//!
//!     /// Two structures with the same members.
//!     pub struct GetRoleRequest [input Input("GetRole", Iam, [])];
//!     /// The second one.
//!     pub struct DeleteRoleRequest [input Input("DeleteRole", Iam, [])] {
//!         /// A member's documentation.
//!         role_name: String = "RoleName" "roleName" => &c::ROLE_NAME_TYPE,
//!     }
//! }
//! ```
//!
//! A member line is `field: Type = "Wire"`, then (on input structures) its name in messages
//! `"lower"` and `=> rule` when it has constraints to check (see `Rule` in `member.rs`). A line
//! `..name,` stands for the members of the group `name`, declared once in the service module
//! by [`groups!`] (IAM's pagination members, `..marker_max_items,`), in its place.
//! The roles, in brackets after the name:
//! - `input`: `impl InputShape` (Query decoding in member order, validation, and the
//!   optional `shown(…)` closure for structures shown in list-size messages);
//! - `output`: `impl OutputShape` (the members written as elements, in member order);
//! - `Input("Action", Service, ["Sensitive", …])`: `impl Input`, the structure is the action's
//!   input (its IAM action name, `iam:Action`, is derived from the two);
//! - `Output`: `impl Output`, the structure is an action's output.

use time::OffsetDateTime;

use crate::SecretString;

/// A member's value in the `Default` of a generated structure: the type's default, the Unix
/// epoch for a (required) timestamp, which has no `Default` of its own.
pub(crate) trait Fill {
    /// The value.
    fn fill() -> Self;
}

/// `Fill` of types whose `Default` is the value (one blanket impl would overlap with
/// `OffsetDateTime`'s).
macro_rules! fill_by_default {
    ($($t:ty),*) => {$(
        impl Fill for $t {
            #[inline(always)]
            fn fill() -> Self {
                Self::default()
            }
        }
    )*};
}

fill_by_default!(String, SecretString, i32, i64, bool);

impl Fill for OffsetDateTime {
    #[inline(always)]
    fn fill() -> Self {
        Self::UNIX_EPOCH
    }
}

impl<T> Fill for Vec<T> {
    #[inline(always)]
    fn fill() -> Self {
        Self::new()
    }
}

impl<T> Fill for Option<T> {
    #[inline(always)]
    fn fill() -> Self {
        None
    }
}

/// The generated structures of a part file: see the module documentation.
macro_rules! shapes {
    // A member table with its groups spliced in (`@flat`, the members done so far in
    // brackets), then the structures over it (`@family`).
    (@flat $heads:tt $shown:tt [$($done:tt)*]) => {
        $crate::rt::shapes!(@family $heads {$($done)*} $shown);
    };

    (@flat $heads:tt $shown:tt $done:tt ..$group:ident, $($rest:tt)*) => {
        $group! { $heads $shown $done $($rest)* }
    };

    (@flat $heads:tt $shown:tt [$($done:tt)*]
        $(#[$fmeta:meta])* $field:ident: $ty:ty = $($name:literal)+ $(=> $rule:expr)?,
        $($rest:tt)*
    ) => {
        $crate::rt::shapes!(
            @flat $heads $shown [$($done)* $(#[$fmeta])* $field: $ty = $($name)+ $(=> $rule)?,]
            $($rest)*
        );
    };

    // A group's members (from its macro, declared by `groups!`) in place of its name.
    (@group [$($members:tt)*] $heads:tt $shown:tt [$($done:tt)*] $($rest:tt)*) => {
        $crate::rt::shapes!(@flat $heads $shown [$($done)* $($members)*] $($rest)*);
    };

    // Structures sharing a member table: one `shape!` each, over that table.
    (@family [$($head:tt)+] $members:tt $shown:tt) => {
        $($crate::rt::shapes!(@one $head $members $shown);)+
    };

    (@one [$(#[$meta:meta])* $t:ident [$($role:tt)*]] {$($members:tt)*} ($($shown:tt)?)) => {
        $crate::rt::shape! {
            $(#[$meta])*
            pub struct $t [$($role)*] { $($members)* } $(; shown = $shown)?
        }
    };

    ($(
        $($(#[$meta:meta])* pub struct $t:ident [$($role:tt)*]);+ {$($members:tt)*}
        $(shown $shown:tt)?
    )*) => {$(
        $crate::rt::shapes!(
            @flat [$([$(#[$meta])* $t [$($role)*]])+] ($($shown)?) [] $($members)*
        );
    )*};
}

/// The member groups of a service module: runs of members that several member tables list
/// alike, each declared once as a macro of that name that `shapes!` calls where a table says
/// `..name,`.
///
/// ```text
/// rt::groups! {
///     /// The group's documentation.
///     marker_max_items {
///         /// A member's documentation.
///         marker: Option<String> = "Marker" "marker" => &c::MARKER_TYPE,
///         max_items: Option<i32> = "MaxItems" "maxItems" => &c::MAX_ITEMS_TYPE,
///     }
/// }
/// ```
macro_rules! groups {
    ($($(#[$meta:meta])* $name:ident { $($members:tt)* })*) => {
        $crate::rt::groups!(@with [$] $($(#[$meta])* $name { $($members)* })*);
    };

    // `$d` is `$`, for the declared macros' own metavariables.
    (@with [$d:tt] $($(#[$meta:meta])* $name:ident { $($members:tt)* })*) => {$(
        $(#[$meta])*
        macro_rules! $name {
            ($d($d then:tt)*) => {
                $crate::rt::shapes! { @group [$($members)*] $d($d then)* }
            };
        }
    )*};
}

/// One generated structure (an entry of [`shapes!`]).
macro_rules! shape {
    (
        $(#[$meta:meta])*
        pub struct $t:ident $([$($role:tt)*])? {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty = $($name:literal)+ $(=> $rule:expr)?,)*
        }
        $(; shown = $shown:expr)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $t {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl Default for $t {
            fn default() -> Self {
                Self { $($field: $crate::rt::Fill::fill(),)* }
            }
        }

        impl $crate::rt::Fill for $t {
            fn fill() -> Self {
                Self::default()
            }
        }

        $crate::rt::shape!(
            @roles $t { $($field: $($name)+ $(=> $rule)?,)* } ($($shown)?) $($($role)*)?
        );
    };

    (@roles $t:ident $members:tt $shown:tt) => {};

    (@roles $t:ident {
        $($field:ident: $wire:literal $lower:literal $(=> $rule:expr)?,)*
    } ($($shown:expr)?) input $($rest:tt)*) => {
        impl $crate::rt::InputShape for $t {
            fn decode(
                _s: &$crate::rt::Scope<'_>,
                _at: $crate::rt::At<'_>,
            ) -> Result<Self, $crate::ApiError> {
                Ok(Self { $($field: _s.field(_at, $wire, $lower)?,)* })
            }

            fn validate_into(&self, _at: $crate::rt::At<'_>, _f: &mut $crate::rt::Failures) {
                $($(_f.check(_at, $lower, &self.$field, $rule);)?)*
            }

            $(fn shown(&self) -> String {
                ($shown)(self)
            })?
        }

        $crate::rt::shape!(@roles $t {
            $($field: $wire $lower $(=> $rule)?,)*
        } ($($shown)?) $($rest)*);
    };

    (@roles $t:ident {
        $($field:ident: $wire:literal $($lower:literal)? $(=> $rule:expr)?,)*
    } $shown:tt output $($rest:tt)*) => {
        impl $crate::rt::OutputShape for $t {
            fn write_members(&self, _w: &mut $crate::XmlWriter) {
                $(_w.member($wire, &self.$field);)*
            }
        }

        $crate::rt::shape!(@roles $t {
            $($field: $wire $($lower)? $(=> $rule)?,)*
        } $shown $($rest)*);
    };

    (@roles $t:ident $members:tt $shown:tt
        Input($action:literal, $service:ident, [$($sensitive:literal),*]) $($rest:tt)*) => {
        impl $crate::Input for $t {
            const ACTION: &'static str = $action;
            const SERVICE: $crate::Service = $crate::Service::$service;
            const IAM_ACTION: &'static str = $crate::rt::shape!(@iam_action $service $action);
            const SENSITIVE: &'static [&'static str] = &[$($sensitive),*];

            fn from_query(p: &$crate::Params<'_>) -> Result<Self, $crate::ApiError> {
                $crate::rt::from_query(p)
            }

            fn validate(&self) -> Result<(), $crate::ApiError> {
                $crate::rt::validate(self)
            }
        }

        $crate::rt::shape!(@roles $t $members $shown $($rest)*);
    };

    (@iam_action Sts $action:literal) => { concat!("sts:", $action) };
    (@iam_action Iam $action:literal) => { concat!("iam:", $action) };

    (@roles $t:ident $members:tt $shown:tt Output $($rest:tt)*) => {
        impl $crate::Output for $t {
            fn write_xml(&self, w: &mut $crate::XmlWriter) {
                $crate::rt::OutputShape::write_members(self, w);
            }
        }

        $crate::rt::shape!(@roles $t $members $shown $($rest)*);
    };
}

/// The constraint constants of the services' input shapes, one row per distinct constraint:
/// `NAME = range(min, max)` then, as the model has them, `.matching(pattern)`,
/// `.one_of(&[…])`, `.sensitive()` (the [`Constraint`](crate::rt::Constraint) builders);
/// `NAME | OTHER | … = …` for a constraint that several shapes have, each name a constant
/// (the others equal to the first).
macro_rules! constraints {
    ($(
        $(#[$meta:meta])* $name:ident $(| $alias:ident)*
            = $build:ident($($args:tt)*) $(.$more:ident($($margs:tt)*))*;
    )*) => {$(
        $(#[$meta])*
        pub const $name: $crate::rt::Constraint =
            $crate::rt::Constraint::$build($($args)*)$(.$more($($margs)*))*;
        $(
            #[doc = concat!("[`", stringify!($name), "`], the same constraint of another shape.")]
            pub const $alias: $crate::rt::Constraint = $name;
        )*
    )*};
}

/// The distinct patterns of the constraints, one row each: `NAME = class(text, allows_empty,
/// [ascii bits], [(lo, hi) ranges above ASCII], unicode(letters, numbers, separators));` for a
/// character class ([`Pattern::class`](crate::rt::Pattern::class), the `unicode` part only
/// where the class has one), `NAME = custom(text, check);` for a pattern checked by a function
/// of `rt` ([`Pattern::custom`](crate::rt::Pattern::custom)).
macro_rules! patterns {
    (@row [$($meta:tt)*] $name:ident class(
        $text:literal, $empty:literal, [$lo:literal, $hi:literal], [$(($a:literal, $b:literal)),*]
        $(, unicode($l:literal, $n:literal, $s:literal))?
    )) => {
        $($meta)*
        pub(crate) const $name: $crate::rt::Pattern = $crate::rt::Pattern::class(
            $text,
            $empty,
            $crate::rt::CharClass::of([$lo, $hi], &[$(($a, $b)),*])$(.unicode($l, $n, $s))?,
        );
    };

    (@row [$($meta:tt)*] $name:ident custom($text:literal, $check:ident)) => {
        $($meta)*
        pub(crate) const $name: $crate::rt::Pattern =
            $crate::rt::Pattern::custom($text, $crate::rt::$check);
    };

    ($($(#[$meta:meta])* $name:ident = $kind:ident $args:tt;)*) => {$(
        $crate::rt::patterns!(@row [$(#[$meta])*] $name $kind $args);
    )*};
}

/// A service module's facts from its model and the operation list: the Query `Version`, the
/// XML namespace of responses, and the generated actions.
macro_rules! service {
    (version: $version:literal, namespace: $namespace:literal, actions: [$($action:literal,)*],) => {
        /// The model's `apiVersion` (the Query `Version`).
        pub const API_VERSION: &str = $version;

        /// The XML namespace of responses.
        pub const XML_NAMESPACE: &str = $namespace;

        /// The generated actions, in `operations.txt` order.
        pub const ACTIONS: &[&str] = &[$($action),*];
    };
}

pub(crate) use {constraints, groups, patterns, service, shape, shapes};
