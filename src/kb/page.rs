//! Pagination: one page of a ranked list, the same for the JSON lists and the web
//! lists. Which numbers a request may ask for is the server's business; this only
//! cuts.

use serde::Serialize;
use utoipa::ToSchema;

/// Page size when a request names none.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// The largest page a request may ask for.
pub const MAX_PAGE_SIZE: usize = 1000;

/// Which page of a list: `page` counts from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: usize,
    pub per_page: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: 1,
            per_page: DEFAULT_PAGE_SIZE,
        }
    }
}

/// A page of a list.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Page<T> {
    /// Number of items matching, across all pages.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// The same page with each item turned into another: rank and cut the cheap
    /// references first, then build views only of the few items shown.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            total: self.total,
            page: self.page,
            per_page: self.per_page,
            items: self.items.into_iter().map(f).collect(),
        }
    }
}

/// The page `request` asks for of `items`. A page past the end is empty (its `total`
/// still counts every item); page 0 is read as page 1.
pub fn paginate<T>(
    items: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
    request: PageRequest,
) -> Page<T> {
    let items = items.into_iter();
    let total = items.len();
    let skip = request
        .page
        .saturating_sub(1)
        .saturating_mul(request.per_page);
    Page {
        total,
        page: request.page,
        per_page: request.per_page,
        items: items.skip(skip).take(request.per_page).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(page: usize, per_page: usize) -> PageRequest {
        PageRequest { page, per_page }
    }

    #[test]
    fn cuts_the_asked_page_and_counts_all() {
        let cut = paginate(1..8, page(2, 3));
        assert_eq!(cut.items, [4, 5, 6]);
        assert_eq!((cut.total, cut.page, cut.per_page), (7, 2, 3));
        assert_eq!(paginate(1..8, page(3, 3)).items, [7]);
    }

    #[test]
    fn a_page_past_the_end_is_empty_and_huge_numbers_do_not_overflow() {
        let past = paginate(vec!['a', 'b'], page(5, 10));
        assert!(past.items.is_empty());
        assert_eq!(past.total, 2);
        assert!(
            paginate(0..3, page(usize::MAX, usize::MAX))
                .items
                .is_empty()
        );
        assert_eq!(paginate(0..3, page(0, 2)).items, [0, 1]);
    }

    #[test]
    fn map_keeps_the_numbers() {
        let mapped = paginate(1..5, page(2, 2)).map(|n| n * 10);
        assert_eq!(mapped.items, [30, 40]);
        assert_eq!((mapped.total, mapped.page), (4, 2));
    }
}
