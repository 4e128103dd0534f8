#include "model/inventory.h"
