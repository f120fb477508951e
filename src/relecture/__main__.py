from relecture.cli import main

main()
