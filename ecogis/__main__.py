"""``python -m ecogis`` runs the command-line interface."""

from ecogis.cli import main

if __name__ == "__main__":
    main()
