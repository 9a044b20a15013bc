from pustaka.cli import main

main()
