//! Hostile and ordinary files, made here byte by byte: what is refused and why, and what is
//! kept of what is taken.

use super::*;
use crate::ssr::testing::photos::{jpeg, jpeg_with_gps, picture};

fn png(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn gps_latitude(bytes: &[u8]) -> Option<String> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .map(|f| f.display_value().to_string())
}

#[test]
fn a_photo_with_gps_is_kept_upright_without_any_metadata() {
    let input = jpeg_with_gps(64, 32);
    assert!(gps_latitude(&input).is_some(), "the input carries GPS");

    let kept = process(input, &MediaLimits::default()).expect("a good photo");
    assert_eq!(kept.kind, MediaKind::Image);
    assert_eq!(kept.main_type, "image/jpeg");
    // Orientation 6: stored 64 × 32 on its side, shown 32 × 64.
    assert_eq!((kept.width, kept.height), (32, 64));
    for copy in [&kept.main, kept.thumb.as_ref().unwrap()] {
        assert_eq!(gps_latitude(copy), None);
        assert!(
            exif::Reader::new()
                .read_from_container(&mut Cursor::new(copy))
                .is_err(),
            "no EXIF at all"
        );
        assert!(!copy.windows(6).any(|w| w == b"Exif\0\0"));
        // A real picture, decodable.
        image::load_from_memory(copy).expect("the copy decodes");
    }
}

#[test]
fn big_photos_get_a_web_copy_and_a_thumbnail() {
    let kept = process(jpeg(2400, 1200), &MediaLimits::default()).unwrap();
    assert_eq!((kept.width, kept.height), (WEB_SIDE, 800));
    let thumb = image::load_from_memory(kept.thumb.as_ref().unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (THUMB_SIDE, 240));
}

#[test]
fn a_transparent_png_is_flattened_on_white() {
    let mut rgba = image::RgbaImage::new(10, 10);
    rgba.pixels_mut().for_each(|p| p.0 = [0, 0, 0, 0]);
    let kept = process(
        png(&DynamicImage::ImageRgba8(rgba)),
        &MediaLimits::default(),
    )
    .unwrap();
    let back = image::load_from_memory(&kept.main).unwrap().to_rgb8();
    assert!(
        back.pixels().all(|p| p.0.iter().all(|c| *c > 240)),
        "white, not black"
    );
}

#[test]
fn a_script_named_like_a_photo_is_refused_by_its_content() {
    let script = b"<script>alert(document.cookie)</script>".to_vec();
    assert_eq!(
        process(script, &MediaLimits::default()).unwrap_err(),
        Refusal::Type
    );
    // An HTML page behind a JPEG's first bytes does not decode.
    let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
    fake.extend_from_slice(b"<html><script>alert(1)</script></html>");
    assert_eq!(
        process(fake, &MediaLimits::default()).unwrap_err(),
        Refusal::Damaged
    );
}

#[test]
fn heic_is_named_as_such() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    assert_eq!(sniff(&heic), Sniffed::Heic);
    assert_eq!(
        process(heic, &MediaLimits::default()).unwrap_err(),
        Refusal::Heic
    );
}

/// CRC-32 as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A tiny PNG whose header claims `width` × `height`: a decompression bomb's shape.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(&DynamicImage::ImageLuma8(image::GrayImage::new(1, 1)));
    // Signature (8), IHDR's length (4) and type (4), then width and height.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let limits = MediaLimits::default();
    // Within the side limit, over the pixel limit.
    let bomb = png_claiming(10_000, 10_000);
    assert!(bomb.len() < 200);
    assert_eq!(process(bomb, &limits).unwrap_err(), Refusal::TooLarge);
    // Over the side limit.
    assert_eq!(
        process(png_claiming(60_000, 60_000), &limits).unwrap_err(),
        Refusal::TooLarge
    );
}

#[test]
fn truncated_photos_are_refused() {
    let whole = jpeg_with_gps(200, 100);
    assert!(jpeg_is_complete(&whole));
    let cut = whole[..whole.len() * 2 / 3].to_vec();
    assert!(!jpeg_is_complete(&cut));
    assert_eq!(
        process(cut, &MediaLimits::default()).unwrap_err(),
        Refusal::Damaged
    );

    let png = png(&DynamicImage::ImageRgb8(picture(200, 100)));
    let cut = png[..png.len() / 2].to_vec();
    assert_eq!(
        process(cut, &MediaLimits::default()).unwrap_err(),
        Refusal::Damaged
    );
}

#[test]
fn files_over_their_size_are_refused() {
    let limits = MediaLimits {
        image_bytes: 1000,
        video_bytes: 2000,
        ..MediaLimits::default()
    };
    assert_eq!(
        process(jpeg(400, 400), &limits).unwrap_err(),
        Refusal::TooBig
    );
    let mut video = vec![0, 0, 0, 16];
    video.extend_from_slice(b"ftypisom\0\0\0\0");
    video.resize(3000, 0);
    assert_eq!(process(video, &limits).unwrap_err(), Refusal::TooBig);
}

fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = ((8 + payload.len()) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

#[test]
fn a_videos_metadata_boxes_are_blanked_in_place() {
    let location = b"\xa9xyz+52.5200+013.4050/";
    let udta = mp4_box(b"udta", &mp4_box(b"\xa9xyz", location));
    let trak = mp4_box(b"trak", &mp4_box(b"meta", b"camera model X"));
    let mut moov_payload = mp4_box(b"mvhd", &[0; 20]);
    moov_payload.extend_from_slice(&udta);
    moov_payload.extend_from_slice(&trak);
    let mut file = mp4_box(b"ftyp", b"isom\0\0\0\0");
    file.extend_from_slice(&mp4_box(b"moov", &moov_payload));
    file.extend_from_slice(&mp4_box(b"mdat", b"frames"));
    let before = file.clone();

    assert!(blank_metadata_boxes(&mut file));
    assert_eq!(file.len(), before.len(), "offsets into mdat stay valid");
    assert!(!file.windows(8).any(|w| w == b"+52.5200"));
    assert!(!file.windows(6).any(|w| w == b"camera"));
    assert!(file.windows(4).filter(|w| *w == b"free").count() >= 2);
    assert!(file.ends_with(b"mdatframes"));

    // Boxes that do not tile the file: refused.
    let mut broken = before.clone();
    broken.truncate(before.len() - 3);
    assert!(!blank_metadata_boxes(&mut broken));
}

#[test]
fn sniffing_reads_magic_numbers_only() {
    assert_eq!(sniff(&jpeg(4, 4)), Sniffed::Jpeg);
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Sniffed::Png);
    assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Sniffed::WebP);
    assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0"), Sniffed::Mp4);
    assert_eq!(sniff(b"GIF89a"), Sniffed::Other);
    assert_eq!(sniff(b""), Sniffed::Other);
}

/// Two seconds of QuickTime made by ffmpeg, with the place and a title in its metadata.
const CLIP: &[u8] = include_bytes!("clip.mov");

#[test]
fn a_short_video_is_kept_without_its_place() {
    assert!(
        CLIP.windows(8).any(|w| w == b"+52.5200"),
        "the clip carries its place"
    );
    let kept = process(CLIP.to_vec(), &MediaLimits::default()).expect("a good clip");
    assert_eq!(kept.kind, MediaKind::Video);
    assert_eq!(kept.main_type, "video/mp4");
    assert_eq!(kept.duration_ms, Some(2000));
    assert_eq!((kept.width, kept.height), (64, 48));
    assert_eq!(kept.main.len(), CLIP.len());
    assert!(!kept.main.windows(8).any(|w| w == b"+52.5200"));
    assert!(!kept.main.windows(7).any(|w| w == b"Holiday"));
    // Still a video its parser reads whole.
    let again = mp4parse::read_mp4(&mut Cursor::new(&kept.main)).expect("still parses");
    assert!(again
        .tracks
        .iter()
        .any(|t| t.track_type == mp4parse::TrackType::Video));

    let one_second = MediaLimits {
        video_seconds: 1,
        ..MediaLimits::default()
    };
    assert_eq!(
        process(CLIP.to_vec(), &one_second).unwrap_err(),
        Refusal::TooLong
    );
    // Cut short, it does not parse.
    let cut = CLIP[..CLIP.len() / 2].to_vec();
    assert_eq!(
        process(cut, &MediaLimits::default()).unwrap_err(),
        Refusal::Damaged
    );
}
