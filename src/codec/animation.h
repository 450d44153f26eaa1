// Animations, one frame at a time (so memory holds a few canvases, never every frame): a row's frame reader
// (Codec::open_frames) gives fully composited RGBA canvases (straight alpha) with their display time; its
// animation writer (Codec::create_animation_writer) assembles the output.
#pragma once
#include <memory>

#include "codec/codec.h"

namespace edgepix {

class FrameReader {
 public:
  virtual ~FrameReader() = default;
  // The next canvas and how long it shows (ms); false when there are no more frames.
  virtual Result<bool> next(Image* canvas, uint32_t* duration_ms) = 0;
  virtual uint32_t loop_count() const { return 0; }  // 0: forever
};

// The reader of `format`'s row; internal error when it has none.
Result<std::unique_ptr<FrameReader>> open_frames(ByteView bytes, Format format);

class AnimationWriter {
 public:
  virtual ~AnimationWriter() = default;
  virtual Status add(const Image& frame, uint32_t duration_ms) = 0;  // straight alpha or RGB
  virtual Result<Buffer> finish() = 0;
};

// The writer of settings.format's row; internal error when it has none.
Result<std::unique_ptr<AnimationWriter>> create_animation_writer(uint32_t width, uint32_t height,
                                                                 const EncodeSettings& settings, uint32_t loop_count);


}  // namespace edgepix
