import sys

from seller_standing.cli import main

sys.exit(main())
