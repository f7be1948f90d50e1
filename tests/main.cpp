// The single entry point of the Boost.Test unit and end-to-end test binary.
#define BOOST_TEST_MODULE vireo
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
