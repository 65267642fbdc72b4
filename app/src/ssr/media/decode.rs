//! What a shopper's file really is, read by its content and never by its name or the type
//! the browser claimed: the first bytes say which format it claims to be, then a real
//! decoder reads all of it under limits (pixels, memory, length), and what Tracklight keeps
//! is made anew from the decoded content.
//!
//! - **Photos** (JPEG, PNG, WebP) are decoded with the `image` crate, turned upright by their
//!   EXIF orientation, and encoded again as JPEG: a web-sized copy and a thumbnail. Nothing
//!   of the original file survives, so neither does its metadata (EXIF with GPS, XMP, IPTC,
//!   comments) nor anything hidden after the picture.
//! - **Videos** (MP4 / QuickTime) are parsed with Mozilla's `mp4parse` (Firefox's parser):
//!   there must be a video track, and it must be short. Video is not re-encoded (that needs
//!   a codec library); instead every metadata box (`udta`, `meta`, `uuid`: where cameras
//!   write the place and the device) is overwritten in place as a `free` box of zeros, which
//!   keeps every sample offset valid. No thumbnail is made for a video.
//! - **HEIC** is recognised and refused with its own message: no well-kept pure-Rust crate
//!   decodes it (iPhones upload JPEG to a web form unless the shopper picks the original).
//!
//! Everything here is synchronous and CPU-bound: callers run it on a blocking thread.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

use super::{MediaKind, MediaLimits, Refusal};

/// The longest side of the web-sized copy of a photo.
pub const WEB_SIDE: u32 = 1600;
/// The longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 480;
/// Memory a decoder may take for one photo, whatever its header says.
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Jpeg,
    Png,
    WebP,
    Heic,
    Mp4,
    Other,
}

/// The format a file's first bytes (its magic numbers) claim.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Jpeg;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Png;
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Sniffed::WebP;
    }
    // ISO base media files: a size, then `ftyp` and the major brand.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        return match brand {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1"
            | b"avif" => Sniffed::Heic,
            b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
            | b"M4V " | b"M4VP" | b"qt  " | b"MSNV" | b"3gp4" | b"3gp5" | b"3gp6" | b"dash" => {
                Sniffed::Mp4
            }
            _ => Sniffed::Other,
        };
    }
    Sniffed::Other
}

/// A file made anew from a shopper's upload, ready to store.
#[derive(Debug, Clone)]
pub struct Processed {
    pub kind: MediaKind,
    /// The copy served and sent to the provider: JPEG for photos, MP4 for videos.
    pub main: Vec<u8>,
    pub main_type: &'static str,
    /// A small JPEG for grids (photos only).
    pub thumb: Option<Vec<u8>>,
    /// Of the main copy (a video's are its track header's).
    pub width: u32,
    pub height: u32,
    /// A video's length.
    pub duration_ms: Option<u64>,
}

/// Reads one uploaded file by its content and makes what is kept of it, or says why not.
pub fn process(bytes: Vec<u8>, limits: &MediaLimits) -> Result<Processed, Refusal> {
    match sniff(&bytes) {
        Sniffed::Jpeg => process_image(&bytes, ImageFormat::Jpeg, limits),
        Sniffed::Png => process_image(&bytes, ImageFormat::Png, limits),
        Sniffed::WebP => process_image(&bytes, ImageFormat::WebP, limits),
        Sniffed::Mp4 => process_video(bytes, limits),
        Sniffed::Heic => Err(Refusal::Heic),
        Sniffed::Other => Err(Refusal::Type),
    }
}

fn process_image(
    bytes: &[u8],
    format: ImageFormat,
    limits: &MediaLimits,
) -> Result<Processed, Refusal> {
    if bytes.len() > limits.image_bytes {
        return Err(Refusal::TooBig);
    }
    // A lenient decoder fills a cut-off JPEG with grey; a cut-off file is refused instead.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(Refusal::Damaged);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = Limits::default();
    decode_limits.max_image_width = Some(limits.max_side);
    decode_limits.max_image_height = Some(limits.max_side);
    decode_limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(decode_limits);
    let mut decoder = reader.into_decoder().map_err(refusal_of)?;
    // A decompression bomb: a small file that declares a huge picture. Refused from its
    // header, before a pixel is decoded.
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(Refusal::TooLarge);
    }
    let orientation = decoder.orientation().map_err(refusal_of)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal_of)?;
    picture.apply_orientation(orientation);
    let picture = flatten(picture);

    let web = if picture.width() > WEB_SIDE || picture.height() > WEB_SIDE {
        picture.resize(WEB_SIDE, WEB_SIDE, FilterType::CatmullRom)
    } else {
        picture.clone()
    };
    let thumb = picture.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(Processed {
        kind: MediaKind::Image,
        width: web.width(),
        height: web.height(),
        main: encode_jpeg(&web, 85)?,
        main_type: "image/jpeg",
        thumb: Some(encode_jpeg(&thumb, 80)?),
        duration_ms: None,
    })
}

/// What a decoder's error means to the shopper.
fn refusal_of(e: image::ImageError) -> Refusal {
    match e {
        image::ImageError::Limits(_) => Refusal::TooLarge,
        image::ImageError::Unsupported(_) => Refusal::Type,
        _ => Refusal::Damaged,
    }
}

/// The picture as opaque RGB: transparent parts on white (a JPEG has no alpha).
fn flatten(picture: DynamicImage) -> DynamicImage {
    if !picture.color().has_alpha() {
        return DynamicImage::ImageRgb8(picture.to_rgb8());
    }
    let rgba = picture.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let blend =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        out.0 = [blend(r), blend(g), blend(b)];
    }
    DynamicImage::ImageRgb8(rgb)
}

fn encode_jpeg(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&picture.to_rgb8())
        .map_err(|_| Refusal::Damaged)?;
    Ok(out)
}

/// Whether a JPEG's segments run from its start to an end-of-image marker: each header
/// segment skipped by its length, each scan's entropy-coded data up to its next marker.
/// An embedded EXIF thumbnail's end marker does not count (it is inside a segment).
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut at = 2;
    loop {
        // Fill bytes may precede a marker.
        while at < bytes.len() && bytes[at] == 0xFF && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        at += 2;
        match marker {
            0xD9 => return true,
            // Restart markers and TEM carry no length.
            0xD0..=0xD7 | 0x01 => continue,
            _ => {}
        }
        let Some(len) = bytes
            .get(at..at + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return false;
        };
        if len < 2 || at + len > bytes.len() {
            return false;
        }
        at += len;
        if marker == 0xDA {
            // Entropy-coded data: up to a marker that is neither a stuffed 0xFF00 nor a
            // restart marker.
            loop {
                let Some(next) = bytes[at..].iter().position(|&b| b == 0xFF) else {
                    return false;
                };
                at += next;
                match bytes.get(at + 1) {
                    None => return false,
                    Some(0x00) | Some(0xD0..=0xD7) | Some(0xFF) => at += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

fn process_video(mut bytes: Vec<u8>, limits: &MediaLimits) -> Result<Processed, Refusal> {
    if bytes.len() > limits.video_bytes {
        return Err(Refusal::TooBig);
    }
    let context = mp4parse::read_mp4(&mut Cursor::new(&bytes)).map_err(|_| Refusal::Damaged)?;
    let video = context
        .tracks
        .iter()
        .find(|t| t.track_type == mp4parse::TrackType::Video)
        .ok_or(Refusal::Type)?;
    let duration_ms = context
        .tracks
        .iter()
        .filter_map(|t| {
            let duration = t.duration.as_ref()?.0;
            let scale = t.timescale.as_ref()?.0;
            (scale > 0).then(|| duration.saturating_mul(1000) / scale)
        })
        .max()
        .ok_or(Refusal::Damaged)?;
    if duration_ms > u64::from(limits.video_seconds) * 1000 {
        return Err(Refusal::TooLong);
    }
    let (width, height) = video
        .tkhd
        .as_ref()
        .map(|h| (h.width >> 16, h.height >> 16))
        .unwrap_or((0, 0));
    if !blank_metadata_boxes(&mut bytes) {
        return Err(Refusal::Damaged);
    }
    Ok(Processed {
        kind: MediaKind::Video,
        main: bytes,
        main_type: "video/mp4",
        thumb: None,
        width,
        height,
        duration_ms: Some(duration_ms),
    })
}

/// The boxes that hold metadata rather than media, where they may be found.
const METADATA_BOXES: [&[u8; 4]; 4] = [b"udta", b"meta", b"uuid", b"XMP_"];
/// The containers searched for them (besides the file's top level).
const CONTAINERS: [&[u8; 4]; 3] = [b"moov", b"trak", b"mdia"];

/// Overwrites every metadata box at the top level, in `moov`, its tracks and their media
/// with a `free` box of zeros of the same size (offsets into `mdat` stay valid). False
/// when the boxes do not tile the file.
pub fn blank_metadata_boxes(bytes: &mut [u8]) -> bool {
    blank_in(bytes, 0, bytes.len(), 0)
}

fn blank_in(bytes: &mut [u8], mut at: usize, end: usize, depth: u8) -> bool {
    if depth > 4 {
        return true;
    }
    while at < end {
        let Some(header) = bytes.get(at..at + 8) else {
            return false;
        };
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let (size, header_len) = match size32 {
            0 => (end - at, 8),
            1 => {
                let Some(large) = bytes.get(at + 8..at + 16) else {
                    return false;
                };
                let large = u64::from_be_bytes(large.try_into().expect("8 bytes"));
                (usize::try_from(large).unwrap_or(usize::MAX), 16)
            }
            n => (n, 8),
        };
        if size < header_len || size > end - at {
            return false;
        }
        if METADATA_BOXES.contains(&&kind) {
            bytes[at + 4..at + 8].copy_from_slice(b"free");
            bytes[at + header_len..at + size].fill(0);
        } else if CONTAINERS.contains(&&kind)
            && !blank_in(bytes, at + header_len, at + size, depth + 1)
        {
            return false;
        }
        at += size;
    }
    true
}

#[cfg(test)]
mod tests;
