import sys

from seller_standing.quality.runner import main

sys.exit(main())
