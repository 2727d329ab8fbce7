//! A reader that turns the fuzzer's bytes into structured choices (what `arbitrary` does, in a
//! few lines and without a dependency): every read succeeds, past the end it yields zeros and
//! empty strings, so any input is a valid structure and small mutations stay small.

/// The fuzzer's bytes, consumed from the front.
#[derive(Debug, Clone, Copy)]
pub struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self(data)
    }

    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next byte (0 at the end).
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// A boolean from the next byte's low bit.
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A little-endian `u32` from the next four bytes.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// One of `items` (the first when there are no bytes left); `items` must not be empty.
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        let n = items.len().max(1);
        items.get(usize::from(self.byte()) % n)
    }

    /// A run of bytes: a length byte (at most `max`), then that many bytes (fewer at the end).
    pub fn chunk(&mut self, max: usize) -> &'a [u8] {
        let len = usize::from(self.byte()).min(max).min(self.0.len());
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        head
    }

    /// A string from [`Self::chunk`], invalid UTF-8 replaced.
    pub fn text(&mut self, max: usize) -> String {
        String::from_utf8_lossy(self.chunk(max)).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }

    /// Everything left as a string, invalid UTF-8 replaced.
    pub fn rest_text(&mut self) -> String {
        String::from_utf8_lossy(self.rest()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn reads_past_the_end_are_zero_and_empty() {
        let mut b = Bytes::new(&[3, b'a', b'b']);
        assert_eq!(b.chunk(10), b"ab");
        assert!(b.is_empty());
        assert_eq!(b.byte(), 0);
        assert_eq!(b.text(5), "");
        assert_eq!(b.pick(&[7, 8]), Some(&7));
    }

    #[test]
    fn chunks_are_bounded_by_max() {
        let mut b = Bytes::new(&[200, 1, 2, 3, 4]);
        assert_eq!(b.chunk(2), &[1, 2]);
        assert_eq!(b.rest(), &[3, 4]);
    }
}
