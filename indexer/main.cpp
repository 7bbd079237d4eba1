// imr-index: the thin entry point of the indexer; everything happens in imr_indexer.
#include "cli.h"

#include <iostream>

int main(int argc, char** argv) { return imr::run_index_cli(argc, argv, std::cout, std::cerr); }
