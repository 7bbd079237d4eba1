// The imr-index command line: options, exit codes and the summary line; main() only calls this.
#pragma once

#include <ostream>

namespace imr {

// Exit status: 0 when nothing was rejected, 1 when some files were rejected (the rest is
// committed), 2 for usage errors and for a database that cannot be opened or is locked.
int run_index_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace imr
