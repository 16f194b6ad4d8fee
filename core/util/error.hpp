#pragma once
// Errors a user can act on. Messages name the problem in plain words and never carry secrets.

#include <stdexcept>
#include <string>

namespace hotline {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hotline
