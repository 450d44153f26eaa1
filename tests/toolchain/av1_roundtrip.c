/* aom and dav1d as built for the preset: aom's encoder turns a frame into an AV1 bitstream (low-overhead OBUs,
 * the form an AVIF item holds) and dav1d decodes it back close to the original, single-threaded, as the module
 * will run them. The input is gradients with detail and edges, made here, at odd-ish size to reach the edge
 * handling. Exported as av1_roundtrip(speed, usage, width, height); zero arguments mean all-intra at speed 9,
 * 203 x 142. Returns 0 when every step holds, else the number of the first step that failed. */
#include <aom/aom_encoder.h>
#include <aom/aomcx.h>
#include <dav1d/dav1d.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_export.h"

typedef struct {
  uint8_t *data;
  size_t size;
} buffer;

static void make_frame(aom_image_t *image, int width, int height) {
  for (int y = 0; y < height; y++) {
    uint8_t *row = image->planes[AOM_PLANE_Y] + y * image->stride[AOM_PLANE_Y];
    for (int x = 0; x < width; x++) {
      double detail = 40 * sin(x / 4.0) * cos(y / 7.0);
      row[x] = (uint8_t)(x * 160 / width + (y > height / 2 ? 60 : 20) + detail);
    }
  }
  for (int plane = AOM_PLANE_U; plane <= AOM_PLANE_V; plane++) {
    for (int y = 0; y < (height + 1) / 2; y++) {
      uint8_t *row = image->planes[plane] + y * image->stride[plane];
      for (int x = 0; x < (width + 1) / 2; x++) row[x] = (uint8_t)(plane == AOM_PLANE_U ? 96 + y % 64 : 160 - x % 48);
    }
  }
}

/* Encodes one frame; returns 0 and the OBUs in `out`. */
static int encode(const aom_image_t *image, int speed, unsigned usage, buffer *out) {
  aom_codec_iface_t *iface = aom_codec_av1_cx();
  aom_codec_enc_cfg_t cfg;
  aom_codec_ctx_t codec;
  if (aom_codec_enc_config_default(iface, &cfg, usage) != AOM_CODEC_OK) return 1;
  cfg.g_w = image->d_w;
  cfg.g_h = image->d_h;
  cfg.g_threads = 1;
  cfg.g_limit = 1;          /* one frame: a still image */
  cfg.g_lag_in_frames = 0;
  cfg.rc_end_usage = AOM_Q; /* constant quality, as for AVIF */
  if (aom_codec_enc_init(&codec, iface, &cfg, 0) != AOM_CODEC_OK) return 2;
  int failed = aom_codec_control(&codec, AOME_SET_CPUUSED, speed) != AOM_CODEC_OK ||
               aom_codec_control(&codec, AOME_SET_CQ_LEVEL, 30) != AOM_CODEC_OK;
  out->data = NULL;
  out->size = 0;
  for (int flush = 0; !failed && flush < 2; flush++) {
    if (aom_codec_encode(&codec, flush ? NULL : image, 0, 1, 0) != AOM_CODEC_OK) {
      failed = 1;
      break;
    }
    aom_codec_iter_t iter = NULL;
    const aom_codec_cx_pkt_t *packet;
    while ((packet = aom_codec_get_cx_data(&codec, &iter)) != NULL) {
      if (packet->kind != AOM_CODEC_CX_FRAME_PKT) continue;
      uint8_t *grown = realloc(out->data, out->size + packet->data.frame.sz);
      if (!grown) {
        failed = 1;
        break;
      }
      memcpy(grown + out->size, packet->data.frame.buf, packet->data.frame.sz);
      out->data = grown;
      out->size += packet->data.frame.sz;
    }
  }
  aom_codec_destroy(&codec);
  return failed || out->size == 0 ? 3 : 0;
}

/* Decodes the OBUs with dav1d (one thread, no frame delay) into `picture`. */
static int decode(const buffer *obus, Dav1dPicture *picture) {
  Dav1dSettings settings;
  Dav1dContext *context = NULL;
  Dav1dData data = {0};
  dav1d_default_settings(&settings);
  settings.n_threads = 1;
  settings.max_frame_delay = 1;
  if (dav1d_open(&context, &settings) < 0) return 4;
  uint8_t *copy = dav1d_data_create(&data, obus->size);
  int result = copy ? 0 : -1;
  if (copy) memcpy(copy, obus->data, obus->size);
  memset(picture, 0, sizeof *picture);
  while (result == 0 || result == DAV1D_ERR(EAGAIN)) {
    if (data.sz > 0) {
      result = dav1d_send_data(context, &data);
      if (result < 0 && result != DAV1D_ERR(EAGAIN)) break;
    }
    result = dav1d_get_picture(context, picture);
    if (result == 0) break;
    if (result == DAV1D_ERR(EAGAIN) && data.sz == 0) {
      result = -1; /* all data sent and still no picture */
      break;
    }
  }
  dav1d_data_unref(&data);
  dav1d_close(&context);
  return result == 0 ? 0 : 5;
}

static double luma_psnr(const aom_image_t *image, const Dav1dPicture *picture) {
  double squared = 0;
  for (unsigned y = 0; y < image->d_h; y++) {
    const uint8_t *a = image->planes[AOM_PLANE_Y] + y * image->stride[AOM_PLANE_Y];
    const uint8_t *b = (const uint8_t *)picture->data[0] + y * picture->stride[0];
    for (unsigned x = 0; x < image->d_w; x++) squared += (double)(a[x] - b[x]) * (a[x] - b[x]);
  }
  double mse = squared / ((double)image->d_w * image->d_h);
  return mse == 0 ? 99 : 10 * log10(255.0 * 255.0 / mse);
}

EXPORT("av1_roundtrip") int av1_roundtrip(int speed, int usage, int width, int height) {
  if (width <= 0 || height <= 0) {
    speed = 9;
    usage = AOM_USAGE_ALL_INTRA;
    width = 203;
    height = 142;
  }
  aom_image_t *image = aom_img_alloc(NULL, AOM_IMG_FMT_I420, width, height, 16);
  if (!image) return 10;
  make_frame(image, width, height);
  buffer obus;
  int failed = encode(image, speed, (unsigned)usage, &obus);
  Dav1dPicture picture;
  if (!failed) failed = decode(&obus, &picture);
  if (!failed) {
    if (picture.p.w != width || picture.p.h != height || picture.p.layout != DAV1D_PIXEL_LAYOUT_I420 ||
        picture.p.bpc != 8) {
      failed = 6;
    } else if (luma_psnr(image, &picture) < 32) {
      failed = 7;
    }
    dav1d_picture_unref(&picture);
  }
  free(obus.data);
  aom_img_free(image);
  return failed;
}

#ifndef __wasm__
int main(void) { return av1_roundtrip(0, 0, 0, 0); }
#endif
