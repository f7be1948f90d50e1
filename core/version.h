#pragma once

namespace vireo {

// The Vireo release, and the Redis version Vireo reports so that clients that
// gate features on `redis_version` treat it as the 7.0 it is compatible with.
inline constexpr const char* kVireoVersion = VIREO_VERSION;
inline constexpr const char* kRedisCompatVersion = "7.0.15";

}  // namespace vireo
