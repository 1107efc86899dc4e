// WebRoot: where `cruddur serve` looks for the built web app when
// --web-root is not given.
//
// The app is built in the repository, next to the binary's build tree
// (build/bin/cruddur -> <repo>/web/dist), so the lookup starts from the
// executable's real location (/proc/self/exe), then from the working
// directory: in each, that directory and up to 4 of its ancestors are
// tried, and the first holding web/package.json (the app's sources) gives
// <it>/web/dist, built or not (a build made later is served at once). When
// none does: ./web/dist.
#pragma once

#include <filesystem>

namespace cruddur::serve {

std::filesystem::path DefaultWebRoot();

// The lookup from explicit starting points (tests); `executable_dir` may be
// empty.
std::filesystem::path FindWebRoot(const std::filesystem::path& executable_dir,
                                  const std::filesystem::path& working_dir);

}  // namespace cruddur::serve
